// The test cluster itself: two shards of the Debian package's clickhouse-server, one cluster
// name, a Distributed table that splits rows by station over both.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startCluster, unavailable } from './lib_clickhouse.mjs'

const why = unavailable()
let c

before(async () => { if (!why) c = await startCluster() })
after(async () => { if (c) await c.stop() })

test('two shards answer as one cluster', { skip: why || false }, async () => {
  const shards = await c.query(`SELECT shard_num FROM system.clusters WHERE cluster = '${c.cluster}' ORDER BY shard_num`)
  assert.equal(shards, '1\n2\n')
  for (const i of [0, 1]) {
    await c.query('CREATE DATABASE IF NOT EXISTS t', i)
    await c.query('CREATE TABLE t.l (station Int64, v Float64) ENGINE = MergeTree ORDER BY station', i)
    await c.query(`CREATE TABLE t.d AS t.l ENGINE = Distributed(${c.cluster}, t, l, station)`, i)
  }
  await fetch(c.urls[0] + '/?insert_distributed_sync=1', {
    method: 'POST',
    headers: { authorization: 'Basic ' + Buffer.from(`${c.user}:${c.password}`).toString('base64') },
    body: 'INSERT INTO t.d FORMAT TabSeparated\n1\t1.5\n2\t2.5\n3\t3.5\n4\t4.5\n',
  })
  assert.equal(await c.query('SELECT count() FROM t.l', 0), '2\n')
  assert.equal(await c.query('SELECT count() FROM t.l', 1), '2\n')
  assert.equal(await c.query('SELECT sum(v) FROM t.d', 1), '12\n')
})
