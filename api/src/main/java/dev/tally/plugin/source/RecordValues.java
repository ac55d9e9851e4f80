package dev.tally.plugin.source;

import dev.tally.ipld.IpldBool;
import dev.tally.ipld.IpldBytes;
import dev.tally.ipld.IpldFloat;
import dev.tally.ipld.IpldInt;
import dev.tally.ipld.IpldLink;
import dev.tally.ipld.IpldList;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.ipld.IpldString;
import dev.tally.plugin.spi.log.Link;
import dev.tally.plugin.spi.log.Null;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The IPLD data model as the plain, unmodifiable Java values the SPI documents. */
final class RecordValues {
  private RecordValues() {}

  static Object of(IpldNode node) {
    return switch (node.kind()) {
      case NULL -> Null.VALUE;
      case BOOL -> ((IpldBool) node).value();
      case INT -> {
        IpldInt i = (IpldInt) node;
        yield i.fitsLong() ? (Object) i.asLong() : i.asBigInteger();
      }
      case FLOAT -> ((IpldFloat) node).asDouble();
      case STRING -> ((IpldString) node).asString();
      case BYTES -> ByteBuffer.wrap(((IpldBytes) node).asBytes()).asReadOnlyBuffer();
      case LINK -> new Link(((IpldLink) node).cid().toString());
      case LIST -> {
        List<Object> out = new ArrayList<>();
        for (IpldNode n : ((IpldList) node).asList()) {
          out.add(of(n));
        }
        yield Collections.unmodifiableList(out);
      }
      case MAP -> map((IpldMap) node);
    };
  }

  static Map<String, Object> map(IpldMap map) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, IpldNode> e : map.entries()) {
      out.put(e.getKey(), of(e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }
}
