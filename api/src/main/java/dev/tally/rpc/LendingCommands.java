package dev.tally.rpc;

import dev.tally.cli.LendingForms;
import dev.tally.ipld.DagJson;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.MoneyException;
import dev.tally.lending.record.LendingRecord;
import dev.tally.lending.record.PartyId;
import dev.tally.lending.record.RecordFormatException;
import dev.tally.lending.schedule.ScheduleException;
import dev.tally.lending.state.Flagged;
import dev.tally.lending.write.LendingRefusedException;
import dev.tally.lending.write.LendingWriter;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.multiformats.Cid;
import dev.tally.node.NodeLogs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lending/*}: writing lending records to the node's replica of a log. One endpoint per
 * record command ({@code lending/request}, {@code lending/repay}, …) takes the options of the CLI
 * command of the same name; {@code append} takes any record (DAG-JSON, multipart field {@code
 * record}). Both judge the record as every peer's fold will and append it signed by the node, or
 * answer 400 with the reason; {@code check} only judges; {@code flagged} lists records kept in the
 * log but not applied.
 */
final class LendingCommands {
  private LendingCommands() {}

  static void register(Map<String, RpcCommand> commands, NodeLogs logs) {
    commands.put("lending/append", call -> write(call, logs, true));
    commands.put("lending/check", call -> write(call, logs, false));
    commands.put("lending/flagged", call -> flagged(call, logs));
    // One endpoint per record command (register, request, offer, …), taking the CLI's options.
    for (String name : LendingForms.names()) {
      commands.put("lending/" + name, call -> form(call, logs, name));
    }
  }

  /**
   * {@code lending/<command>?arg=LOG&loan=…&amount=…}: builds the record the CLI command of that
   * name would from the node's replica, judges it and appends it signed by the node.
   */
  private static void form(RpcCall call, NodeLogs logs, String name) {
    Cid id = BlockCommands.cid(call.arg("log"));
    List<Map.Entry<String, String>> options = call.params();
    call.blocking(
            () -> {
              Log log = logs.replicas().require(id);
              LendingWriter writer = new LendingWriter(log, logs.key());
              Entry e;
              try {
                LendingRecord record =
                    LendingForms.build(
                        name, options, writer.state(), PartyId.of(logs.key().publicKey()));
                e = writer.append(record);
              } catch (IllegalArgumentException
                  | MoneyException
                  | RecordFormatException
                  | ScheduleException
                  | LendingRefusedException x) {
                String why = x.getMessage();
                throw RpcException.badRequest(
                    why.startsWith("refused: ") ? why : "refused: " + why);
              }
              logs.replicas().save(log);
              return new JsonObject().put("Cid", e.cid().toString()).put("Time", e.time());
            })
        .onSuccess(call::json)
        .onFailure(call::fail);
  }

  private static void write(RpcCall call, NodeLogs logs, boolean append) {
    Cid id = BlockCommands.cid(call.arg("log"));
    var upload = call.multipart("record");
    call.blocking(
            () -> {
              List<byte[]> files = Bodies.files(upload, Entry.MAX_SIZE * 4, "record", "");
              if (files.size() != 1) {
                throw RpcException.badRequest("lending/append takes exactly one record (DAG-JSON)");
              }
              IpldNode record;
              try {
                record = DagJson.decode(files.get(0));
                LendingRecord.decode(record);
              } catch (RecordFormatException | dev.tally.ipld.CodecException e) {
                throw RpcException.badRequest("refused: " + e.getMessage());
              }
              Log log = logs.replicas().require(id);
              LendingWriter writer = new LendingWriter(log, logs.key());
              if (!append) {
                Optional<String> why = writer.check(record);
                return new JsonObject().put("Ok", why.isEmpty()).put("Reason", why.orElse(""));
              }
              Entry e;
              try {
                e = writer.appendNode(record);
              } catch (LendingRefusedException x) {
                throw RpcException.badRequest(x.getMessage());
              }
              logs.replicas().save(log);
              return new JsonObject().put("Cid", e.cid().toString()).put("Time", e.time());
            })
        .onSuccess(call::json)
        .onFailure(call::fail);
  }

  private static void flagged(RpcCall call, NodeLogs logs) {
    Cid id = BlockCommands.cid(call.arg("log"));
    call.blocking(
            () -> {
              JsonArray out = new JsonArray();
              for (Flagged f : LendingWriter.state(logs.replicas().require(id)).flagged()) {
                out.add(
                    new JsonObject()
                        .put("Entry", f.entry().toString())
                        .put("Kind", f.kind())
                        .put("Loan", f.loan().map(Cid::toString).orElse(""))
                        .put("Reason", f.reason()));
              }
              return new JsonObject().put("Flagged", out);
            })
        .onSuccess(call::json)
        .onFailure(call::fail);
  }
}
