package dev.tally.log.proof;

import dev.tally.car.CarException;
import dev.tally.car.CarReader;
import dev.tally.car.CarWriter;
import dev.tally.ipld.Block;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.log.LogVerificationException;
import dev.tally.multiformats.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Proofs that an entry belongs to a log. A proof is a CARv1 whose roots are {@code [head, entry]}
 * and whose blocks are the log's manifest, then the chain of entries from the head down to the
 * entry, each linking to the next by {@code next} or a skip link, then — for each author on the
 * chain whom an admin admitted by an entry rather than the manifest — the chain from that author's
 * last entry on the main chain down to the {@code WriterAdded} entry admitting it. Checking it
 * needs no network and no replica: every block is re-hashed, every entry decoded strictly, each
 * chain entry's signature checked against a writer of the manifest or against a key that an admin's
 * signed admission, linked from the entry, added. (A proof cannot show that no removal of the key
 * lies in the entry's past; replicas refuse such entries, ADR 008.)
 */
public final class LogProof {
  /** Longest chain accepted: skip links keep real chains near log2 of the log's depth. */
  public static final int MAX_CHAIN = 4096;

  /**
   * What a valid proof shows.
   *
   * @param log the log id
   * @param head the head the chain starts from
   * @param entry the proved entry
   * @param chain the chain's entries, head first
   */
  public record Checked(Cid log, Cid head, Entry entry, List<Cid> chain) {
    public Checked {
      chain = List.copyOf(chain);
    }
  }

  private LogProof() {}

  /** Writes the proof that {@code entry} is in {@code log}; returns the chain's length. */
  public static int prove(Log log, Cid entry, OutputStream out) throws IOException {
    List<Entry> chain = log.chainTo(entry);
    CarWriter car = CarWriter.open(out, List.of(chain.get(0).cid(), entry));
    car.write(log.manifest().block());
    java.util.Set<Cid> written = new java.util.HashSet<>();
    for (Entry e : chain) {
      car.write(e.block());
      written.add(e.cid());
    }
    // The oldest chain entry of each admitted author: its admission is in every later one's past.
    java.util.Map<java.nio.ByteBuffer, Entry> lastByAuthor = new java.util.LinkedHashMap<>();
    for (Entry e : chain) {
      if (log.manifest().writer(e.author()).isEmpty()) {
        lastByAuthor.put(java.nio.ByteBuffer.wrap(e.author()), e);
      }
    }
    java.util.ArrayDeque<Entry> needing = new java.util.ArrayDeque<>(lastByAuthor.values());
    while (!needing.isEmpty()) {
      List<Entry> path = log.admissionChain(needing.poll().cid());
      for (Entry a : path) {
        if (written.add(a.cid())) {
          car.write(a.block());
        }
      }
      // Under "admission: writers" the admitting writer may itself have been admitted.
      Entry admission = path.get(path.size() - 1);
      if (log.manifest().writer(admission.author()).isEmpty()) {
        needing.add(admission);
      }
    }
    car.flush();
    return chain.size();
  }

  /**
   * Checks a proof against the log named {@code logId}; the manifest is read from the proof.
   *
   * @throws ProofException when the proof does not show what it claims
   */
  public static Checked check(InputStream in, Cid logId) throws IOException {
    return check(in, logId, Optional.empty());
  }

  /** As {@link #check(InputStream, Cid)}, against a manifest the caller already holds. */
  public static Checked check(InputStream in, LogManifest manifest) throws IOException {
    return check(in, manifest.cid(), Optional.of(manifest));
  }

  private static Checked check(InputStream in, Cid logId, Optional<LogManifest> known)
      throws IOException {
    try (CarReader car = CarReader.open(in)) {
      List<Cid> roots = car.roots();
      if (roots.size() != 2) {
        throw new ProofException("a log proof has two roots (head, entry), found " + roots.size());
      }
      Block first = next(car, "the manifest");
      if (!first.cid().equals(logId)) {
        throw new ProofException("the proof's first block is not the manifest of log " + logId);
      }
      LogManifest manifest = known.orElseGet(() -> LogManifest.fromBlock(first));
      List<Entry> chain = new ArrayList<>();
      java.util.Map<Cid, Entry> support = new java.util.HashMap<>();
      Optional<Block> b;
      while ((b = car.next()).isPresent()) {
        if (chain.size() + support.size() == MAX_CHAIN) {
          throw new ProofException("the proof holds more than " + MAX_CHAIN + " entries");
        }
        Entry e = Entry.decodeUntrusted(b.get());
        if (!chain.isEmpty() && chain.get(chain.size() - 1).cid().equals(roots.get(1))) {
          support.put(e.cid(), e);
          continue;
        }
        if (!chain.isEmpty()) {
          Entry prev = chain.get(chain.size() - 1);
          if (!prev.next().contains(e.cid()) && !prev.refs().contains(e.cid())) {
            throw new ProofException(
                "entry " + prev.cid() + " does not link to the following entry " + e.cid());
          }
        }
        chain.add(e);
      }
      if (chain.isEmpty()) {
        throw new ProofException("the proof holds no entries");
      }
      if (!chain.get(0).cid().equals(roots.get(0))) {
        throw new ProofException("the chain does not start at the head " + roots.get(0));
      }
      Entry last = chain.get(chain.size() - 1);
      if (!last.cid().equals(roots.get(1))) {
        throw new ProofException("the chain does not end at the entry " + roots.get(1));
      }
      for (Entry e : chain) {
        if (manifest.writer(e.author()).isPresent()) {
          e.verifySignature(manifest);
        } else {
          Admissions.checkAdmitted(e, manifest, chain, support);
        }
      }
      return new Checked(logId, roots.get(0), last, chain.stream().map(Entry::cid).toList());
    } catch (CarException e) {
      throw new ProofException("the proof is not a valid CAR: " + e.getMessage(), e);
    } catch (LogVerificationException e) {
      throw new ProofException("the proof holds an invalid entry: " + e.getMessage(), e);
    }
  }

  private static Block next(CarReader car, String what) throws IOException {
    return car.next().orElseThrow(() -> new ProofException("the proof lacks " + what));
  }
}
