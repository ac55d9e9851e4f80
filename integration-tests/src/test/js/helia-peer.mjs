// A Helia 7 node for Tally's Bitswap interop tests, composed from light parts: TCP, Noise, Yamux,
// identify, ping and Bitswap; no DHT, no bootstrap, no relay, no HTTP gateways.
// Usage: node helia-peer.mjs <seed-hex-32-bytes>
// Prints {"event":"listening","peerId":...,"addrs":[...]} on stdout; commands arrive as JSON lines
// on stdin and each answer is one JSON line on stdout. Logs go to stderr.
import { createHeliaLight } from 'helia'
import { withLibp2pLight } from '@helia/libp2p'
import { withBitswap } from '@helia/bitswap'
import { unixfs } from '@helia/unixfs'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import { createInterface } from 'node:readline'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import * as dagCbor from '@ipld/dag-cbor'
import { sha256 } from 'multiformats/hashes/sha2'

const seedHex = process.argv[2] ?? '00'.repeat(32)
const privateKey = await generateKeyPairFromSeed('Ed25519', Buffer.from(seedHex, 'hex'))

const helia = withBitswap(withLibp2pLight(createHeliaLight({}), {
  privateKey,
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), ping: ping() }
}))
await helia.start()
const fs = unixfs(helia)

const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')

const commands = {
  // Adds a file with Helia's defaults (CIDv1, raw leaves, 1 MiB chunks) and returns its CID.
  async add ({ path }) {
    const cid = await fs.addBytes(await readFile(path))
    return { cid: cid.toString() }
  },
  async dial ({ addr }) {
    const conn = await helia.libp2p.dial(multiaddr(addr))
    return { peerId: conn.remotePeer.toString() }
  },
  // Fetches a file through Bitswap and returns its length and SHA-256.
  async cat ({ cid, timeoutMs = 60000 }) {
    const hash = createHash('sha256')
    let bytes = 0
    for await (const chunk of fs.cat(CID.parse(cid), { signal: AbortSignal.timeout(timeoutMs) })) {
      hash.update(chunk)
      bytes += chunk.length
    }
    return { bytes, sha256: hash.digest('hex') }
  },
  // Stores a DAG-CBOR tree of `leaves` leaf blocks under nodes of at most 100 links.
  async addCborDag ({ leaves }) {
    const put = async (value) => {
      const bytes = dagCbor.encode(value)
      const cid = CID.createV1(dagCbor.code, await sha256.digest(bytes))
      await helia.blockstore.put(cid, bytes)
      return cid
    }
    let level = []
    for (let i = 0; i < leaves; i++) {
      level.push(await put({ leaf: i, from: 'helia' }))
    }
    let blocks = level.length
    while (level.length > 1) {
      const next = []
      for (let i = 0; i < level.length; i += 100) {
        next.push(await put({ links: level.slice(i, i + 100) }))
      }
      blocks += next.length
      level = next
    }
    return { cid: level[0].toString(), blocks }
  },
  // Fetches every block reachable from `cid` (DAG-CBOR links) through Bitswap.
  async fetchCborDag ({ cid, timeoutMs = 120000 }) {
    const signal = AbortSignal.timeout(timeoutMs)
    const seen = new Set([cid])
    let blocks = 0
    const links = (value, out) => {
      const asCid = CID.asCID(value)
      if (asCid != null) {
        out.push(asCid)
      } else if (Array.isArray(value)) {
        value.forEach((v) => links(v, out))
      } else if (value != null && typeof value === 'object' && !(value instanceof Uint8Array)) {
        Object.values(value).forEach((v) => links(v, out))
      }
      return out
    }
    // Level by level, 32 gets in flight within each level.
    let level = [CID.parse(cid)]
    while (level.length > 0) {
      const next = []
      let i = 0
      await Promise.all(Array.from({ length: 32 }, async () => {
        while (i < level.length) {
          const at = level[i++]
          const chunks = []
          for await (const chunk of helia.blockstore.get(at, { signal })) {
            chunks.push(chunk)
          }
          blocks++
          for (const l of links(dagCbor.decode(Buffer.concat(chunks)), [])) {
            if (!seen.has(l.toString())) {
              seen.add(l.toString())
              next.push(l)
            }
          }
        }
      }))
      level = next
    }
    return { blocks }
  },
  async stop () {
    await helia.stop()
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
process.stdin.on('end', () => helia.stop().then(() => process.exit(0)))

out({
  event: 'listening',
  peerId: helia.libp2p.peerId.toString(),
  addrs: helia.libp2p.getMultiaddrs().map(String)
})
