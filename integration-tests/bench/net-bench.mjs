// The js-libp2p 3 half of the networking benchmark (dev.tally.bench.NetBench), on Node 22.
//
//   node net-bench.mjs listen SEED_HEX
//       serves /tally/bench/sink/1.0.0 and prints {"event":"listening","addrs":[...]}; exits when
//       stdin closes
//   node net-bench.mjs send ADDR BYTES_PER_STREAM STREAMS RUNS [WARMUPS]
//       dials ADDR once, then for each of WARMUPS (default 1) + RUNS runs (the first WARMUPS are
//       warm-ups, numbered 0..WARMUPS-1) opens STREAMS
//       streams to the sink at once, sends BYTES_PER_STREAM on each and waits for every sink's
//       byte count; prints one {"run":i,"millis":m,"bytes":b} line per run, and every second a
//       {"sent":n} line with the bytes handed to its streams so far, so that NetBench can tell a
//       slow run from a stalled one (ADR 039)
//
// The sink protocol: the sender writes bytes and closes its write side; the sink answers with the
// decimal count of bytes it received and closes. Both sides (Tally and JS) implement it the same
// way. Senders write one prepared 64 KiB buffer again and again so data generation costs nothing.
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { createInterface } from 'node:readline'
import { randomBytes } from 'node:crypto'
import { chunksOf } from '../src/test/js/stream-chunks.mjs'

const SINK = '/tally/bench/sink/1.0.0'
const CHUNK = 65536
const [mode, ...args] = process.argv.slice(2)
const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
let sentTotal = 0

async function node (seedHex, listen) {
  const privateKey = seedHex
    ? await generateKeyPairFromSeed('Ed25519', Buffer.from(seedHex, 'hex'))
    : undefined
  return createLibp2p({
    ...(privateKey ? { privateKey } : {}),
    addresses: { listen: listen ? ['/ip4/127.0.0.1/tcp/0'] : [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux({ maxInboundStreams: 1024, maxOutboundStreams: 1024 })],
    connectionManager: { maxConnections: 1000 }
  })
}

async function sink (stream) {
  try {
    let n = 0
    for await (const chunk of chunksOf(stream)) {
      n += chunk.byteLength
    }
    stream.send(new TextEncoder().encode(String(n)))
    await stream.close()
  } catch (err) {
    stream.abort(err)
  }
}

async function sendOne (conn, bytes, chunk) {
  const stream = await conn.newStream(SINK, { maxOutboundStreams: 1024 })
  const reply = (async () => {
    const parts = []
    for await (const c of stream) {
      parts.push(Buffer.from(c.subarray()))
    }
    return Number(Buffer.concat(parts).toString())
  })()
  for (let sent = 0; sent < bytes;) {
    const n = Math.min(CHUNK, bytes - sent)
    sent += n
    sentTotal += n
    if (!stream.send(n === CHUNK ? chunk : chunk.subarray(0, n))) {
      await stream.onDrain()
    }
  }
  await stream.close()
  const got = await reply
  if (got !== bytes) {
    throw new Error(`sink received ${got} bytes, sent ${bytes}`)
  }
  return got
}

if (mode === 'listen') {
  const n = await node(args[0], true)
  await n.handle(SINK, sink, { maxInboundStreams: 1024, maxOutboundStreams: 1024 })
  out({ event: 'listening', peerId: n.peerId.toString(), addrs: n.getMultiaddrs().map(String) })
  createInterface({ input: process.stdin }).on('close', () => n.stop().then(() => process.exit(0)))
} else if (mode === 'send') {
  const [addr, bytesText, streamsText, runsText, warmupsText = '1'] = args
  const bytes = Number(bytesText)
  const streams = Number(streamsText)
  const runs = Number(runsText)
  const warmups = Number(warmupsText)
  const n = await node(undefined, false)
  const conn = await n.dial(multiaddr(addr))
  const chunk = randomBytes(CHUNK)
  const progress = setInterval(() => out({ sent: sentTotal }), 1000)
  for (let run = 0; run < warmups + runs; run++) {
    const started = process.hrtime.bigint()
    const got = await Promise.all(Array.from({ length: streams }, () => sendOne(conn, bytes, chunk)))
    const millis = Number(process.hrtime.bigint() - started) / 1e6
    out({ run, millis, bytes: got.reduce((a, b) => a + b, 0) })
  }
  clearInterval(progress)
  await n.stop()
  process.exit(0)
} else {
  process.stderr.write('usage: net-bench.mjs listen SEED_HEX | send ADDR BYTES STREAMS RUNS [WARMUPS]\n')
  process.exit(2)
}
