// Fetches content from a Tally gateway with @helia/verified-fetch pointed at that gateway alone: no
// delegated routing, no libp2p, local and plain-HTTP addresses allowed. verified-fetch asks the
// gateway for raw blocks, hashes each against its CID and rebuilds files and directories itself,
// so a wrong byte from the gateway fails the fetch. The CIDs come from ipfs-unixfs-importer, not
// from Tally. Prints "ok <check>" per check.
//
// Usage: node verified-fetch.mjs GATEWAY_URL DIRECTORY
// DIRECTORY holds index.html and data.bin (added to the daemon with `add -r` before this runs).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join, basename } from 'node:path'
import { createHeliaLight } from 'helia'
import { withHTTP } from '@helia/http'
import { createVerifiedFetchWithHelia } from '@helia/verified-fetch'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { importer } from 'ipfs-unixfs-importer'
import { MemoryBlockstore } from 'blockstore-core/memory'

const [gateway, dir] = process.argv.slice(2)
// multicodec transport-ipfs-gateway-http: how Helia names an HTTP gateway provider
const TRANSPORT_IPFS_GATEWAY_HTTP = 0x0920
const html = readFileSync(join(dir, 'index.html'))
const data = readFileSync(join(dir, 'data.bin'))

async function check (name, fn) {
  await fn()
  console.log(`ok ${name}`)
}

// Kubo's defaults, which the daemon's repo uses unless configured otherwise.
let root
const entries = [
  { path: `${basename(dir)}/data.bin`, content: data },
  { path: `${basename(dir)}/index.html`, content: html }
]
for await (const e of importer(entries, new MemoryBlockstore(), { profile: 'unixfs-v0-2015' })) root = e.cid

// The gateway is the only router: it names itself as the provider of every CID. (Passed as
// recursiveGateways, Helia 7 never asks it: its routing reaches the fallback routers only after the
// default ones finish, and with no default router that never happens.)
const url = new URL(gateway)
const provider = {
  id: CID.createV1(TRANSPORT_IPFS_GATEWAY_HTTP, identity.digest(new TextEncoder().encode(gateway))),
  multiaddrs: [multiaddr(`/ip4/${url.hostname}/tcp/${url.port}/http`)],
  protocols: ['transport-ipfs-gateway-http']
}
const helia = await withHTTP(createHeliaLight({
  routers: [{ name: 'tally-gateway', async * findProviders () { yield provider } }]
}), {
  delegatedRouters: [],
  recursiveGateways: [],
  allowInsecure: true,
  allowLocal: true
}).start()
const verifiedFetch = await createVerifiedFetchWithHelia(helia)

try {
  await check('file by path, verified block by block', async () => {
    const res = await verifiedFetch(`ipfs://${root}/data.bin`, { signal: AbortSignal.timeout(60_000) })
    assert.equal(res.status, 200)
    const body = new Uint8Array(await res.arrayBuffer())
    assert.equal(body.length, data.length)
    assert.ok(Buffer.from(body).equals(data), 'data.bin differs from the original')
  })

  await check('directory with index.html', async () => {
    const res = await verifiedFetch(`ipfs://${root}/`, { signal: AbortSignal.timeout(60_000) })
    assert.equal(res.status, 200)
    assert.equal(await res.text(), html.toString('utf8'))
  })

  await check('range of a file', async () => {
    const res = await verifiedFetch(`ipfs://${root}/data.bin`, {
      headers: { Range: 'bytes=1000-1999' },
      signal: AbortSignal.timeout(60_000)
    })
    assert.equal(res.status, 206)
    const body = Buffer.from(await res.arrayBuffer())
    assert.ok(body.equals(data.subarray(1000, 2000)), 'range differs from the original')
  })
} finally {
  await verifiedFetch.stop()
  await helia.stop()
}
