// A js-libp2p 3 peer for Tally's interop tests.
// Usage: node libp2p-peer.mjs <seed-hex-32-bytes> [gate-delay-ms] [stream-set-up-timeout-ms] [handler-delay-ms]
// With a gate delay, the connection gater answers denyInboundEncryptedConnection only after that
// many milliseconds, as a busy or gating node does: inbound connections take that long to set up.
// The stream set-up timeout is js-libp2p's inboundStreamProtocolNegotiationTimeout (default 10 s):
// it runs from a stream's SYN until multistream-select and a peer-store write have both ended, and
// those writes run one at a time per peer, so on a loaded machine a burst of streams from one peer
// outlasts it and js-libp2p resets the last ones after it has already confirmed their protocol
// (ADR 039). The tests give it as long as they wait for anything else.
// With a handler delay, the echo and sink handlers start reading that many milliseconds after
// js-libp2p hands them a stream, as they do when the set-up ends late on a loaded machine.
// Prints one JSON line {"event":"listening","peerId":...,"addrs":[...]} on stdout, then serves
// /tally/echo/1.0.0, identify and ping. Commands arrive as JSON lines on stdin; each answer and
// event is one JSON line on stdout. Logs go to stderr.
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify, identifyPush } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { createInterface } from 'node:readline'
import { createHash, randomBytes } from 'node:crypto'
import { chunksOf } from './stream-chunks.mjs'

const ECHO = '/tally/echo/1.0.0'
// Consumes a stream, then answers with {"bytes":n,"sha256":hex} and closes.
const SINK = '/tally/sink/1.0.0'
const seedHex = process.argv[2] ?? '00'.repeat(32)
const gateDelayMs = Number(process.argv[3] ?? 0)
const streamSetUpTimeoutMs = Number(process.argv[4] ?? 0)
const handlerDelayMs = Number(process.argv[5] ?? 0)
const handlerDelay = () => handlerDelayMs > 0 ? new Promise((resolve) => setTimeout(resolve, handlerDelayMs)) : undefined
const privateKey = await generateKeyPairFromSeed('Ed25519', Buffer.from(seedHex, 'hex'))

const node = await createLibp2p({
  privateKey,
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux({ maxInboundStreams: 2000, maxOutboundStreams: 2000 })],
  // js-libp2p's connection monitor pings every connection every 10 s over /ipfs/ping/1.0.0, and its
  // streams count against the ping service's outbound limit (1 by default): a ping command still
  // running at the monitor's tick (100 pings take longer than 10 s on a loaded machine) failed
  // with "Too many outbound protocol streams", or the monitor's ping failed and it aborted the
  // connection under the command's stream. Room for one of each (ADR 035).
  services: { identify: identify(), identifyPush: identifyPush(), ping: ping({ maxOutboundStreams: 2 }) },
  connectionManager: {
    maxConnections: 1000,
    ...(streamSetUpTimeoutMs > 0 ? { inboundStreamProtocolNegotiationTimeout: streamSetUpTimeoutMs } : {})
  },
  connectionGater: gateDelayMs > 0
    ? { denyInboundEncryptedConnection: async () => { await new Promise((resolve) => setTimeout(resolve, gateDelayMs)); return false } }
    : {}
})

const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
const bytes = (chunk) => (chunk instanceof Uint8Array ? chunk : chunk.subarray())


await node.handle(ECHO, async (stream) => {
  try {
    await handlerDelay()
    for await (const chunk of chunksOf(stream)) {
      if (!stream.send(chunk)) {
        await stream.onDrain()
      }
    }
    await stream.close()
  } catch (err) {
    stream.abort(err)
  }
}, { maxInboundStreams: 2000, maxOutboundStreams: 2000 })

await node.handle(SINK, async (stream) => {
  try {
    await handlerDelay()
    const hash = createHash('sha256')
    let n = 0
    for await (const b of chunksOf(stream)) {
      hash.update(b)
      n += b.length
    }
    stream.send(new TextEncoder().encode(JSON.stringify({ bytes: n, sha256: hash.digest('hex') })))
    await stream.close()
  } catch (err) {
    stream.abort(err)
  }
}, { maxInboundStreams: 2000, maxOutboundStreams: 2000 })

node.addEventListener('peer:identify', (evt) => {
  const r = evt.detail
  out({
    event: 'identify',
    peerId: r.peerId.toString(),
    protocolVersion: r.protocolVersion ?? null,
    agentVersion: r.agentVersion ?? null,
    protocols: r.protocols,
    listenAddrs: r.listenAddrs.map(String),
    observedAddr: r.observedAddr ? String(r.observedAddr) : null
  })
})
node.addEventListener('connection:open', (evt) => {
  out({ event: 'connection:open', peerId: evt.detail.remotePeer.toString(), direction: evt.detail.direction })
})
node.addEventListener('connection:close', (evt) => {
  out({ event: 'connection:close', peerId: evt.detail.remotePeer.toString() })
})

async function echoOnce (target, size) {
  const data = randomBytes(size)
  const stream = await node.dialProtocol(target, ECHO)
  const received = []
  let total = 0
  const reading = (async () => {
    for await (const chunk of stream) {
      const b = bytes(chunk)
      received.push(Buffer.from(b))
      total += b.length
    }
  })()
  for (let off = 0; off < size; off += 16384) {
    if (!stream.send(data.subarray(off, Math.min(size, off + 16384)))) {
      await stream.onDrain()
    }
  }
  await stream.close()
  await reading
  const got = Buffer.concat(received, total)
  return got.equals(data)
}

const commands = {
  // Sends `size` random bytes to the peer's sink; returns our digest and the sink's answer.
  async source ({ addr, size }) {
    const stream = await node.dialProtocol(multiaddr(addr), SINK)
    const hash = createHash('sha256')
    const replies = []
    const reading = (async () => {
      for await (const chunk of stream) {
        replies.push(Buffer.from(bytes(chunk)))
      }
    })()
    const started = process.hrtime.bigint()
    for (let sent = 0; sent < size;) {
      const chunk = randomBytes(Math.min(65536, size - sent))
      hash.update(chunk)
      sent += chunk.length
      if (!stream.send(chunk)) {
        await stream.onDrain()
      }
    }
    await stream.close()
    await reading
    const millis = Number(process.hrtime.bigint() - started) / 1e6
    return { sha256: hash.digest('hex'), reply: JSON.parse(Buffer.concat(replies).toString()), millis }
  },
  async ping ({ addr, count = 1 }) {
    const rtts = []
    for (let i = 0; i < count; i++) {
      rtts.push(await node.services.ping.ping(multiaddr(addr)))
    }
    return { rtts }
  },
  async dial ({ addr }) {
    const conn = await node.dial(multiaddr(addr))
    return { peerId: conn.remotePeer.toString() }
  },
  async echo ({ addr, streams = 1, size = 1024 }) {
    const target = multiaddr(addr)
    await node.dial(target)
    const results = await Promise.all(Array.from({ length: streams }, () => echoOnce(target, size)))
    return { echoed: results.filter(Boolean).length }
  },
  async peer ({ peerId }) {
    const p = await node.peerStore.get(peerIdFromString(peerId))
    const text = (k) => (p.metadata.get(k) ? new TextDecoder().decode(p.metadata.get(k)) : null)
    return {
      protocols: p.protocols,
      addrs: p.addresses.map((a) => String(a.multiaddr)),
      agentVersion: text('AgentVersion'),
      protocolVersion: text('ProtocolVersion')
    }
  },
  async connections () {
    return { peers: node.getConnections().map((c) => c.remotePeer.toString()) }
  },
  async hangup ({ peerId }) {
    await node.hangUp(peerIdFromString(peerId))
    return {}
  },
  async stop () {
    await node.stop()
    setTimeout(() => process.exit(0), 50)
    return {}
  }
}

createInterface({ input: process.stdin }).on('line', async (line) => {
  let cmd
  try {
    cmd = JSON.parse(line)
    const result = await commands[cmd.cmd](cmd)
    out({ id: cmd.id, ok: true, ...result })
  } catch (err) {
    out({ id: cmd?.id ?? null, ok: false, error: String(err?.stack ?? err) })
  }
})
process.stdin.on('end', () => node.stop().then(() => process.exit(0)))

out({
  event: 'listening',
  peerId: node.peerId.toString(),
  addrs: node.getMultiaddrs().map(String),
  publicKey: Buffer.from(privateKey.publicKey.raw).toString('hex')
})
