package dev.tally.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IpfsPathTest {
  private static final String CID = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";

  @Test
  void acceptsBothFormsAndDropsEmptySegments() {
    IpfsPath a = IpfsPath.parse("/ipfs/" + CID + "/a//b/");
    IpfsPath b = IpfsPath.parse(CID + "/a/b");
    assertEquals(a, b);
    assertEquals(List.of("a", "b"), a.segments());
    assertEquals("/ipfs/" + CID + "/a/b", a.toString());
  }

  @Test
  void refusesTraversalIpnsForeignPrefixesAndOverlongPaths() {
    for (String bad :
        List.of(
            "/ipfs/" + CID + "/../x",
            "/ipfs/" + CID + "/./x",
            "/ipns/example.com",
            "/ipld/" + CID,
            "/ipfs/not-a-cid",
            "/ipfs/" + CID + "/" + "a".repeat(IpfsPath.MAX_LENGTH))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> IpfsPath.parse(bad), bad);
      assertTrue(!e.getMessage().isBlank());
    }
  }
}
