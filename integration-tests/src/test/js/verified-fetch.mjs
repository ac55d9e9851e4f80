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
import { importer } from 'ipfs-unixfs-importer'
import { MemoryBlockstore } from 'blockstore-core/memory'

const [gateway, dir] = process.argv.slice(2)
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

const helia = await withHTTP(await createHeliaLight({}), {
  delegatedRouters: [],
  recursiveGateways: [gateway],
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
