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
