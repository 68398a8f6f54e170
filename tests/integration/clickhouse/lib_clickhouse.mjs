// A private two-shard ClickHouse cluster on loopback for the province-scale tests: the Debian
// package's server binary (clickhouse-server, installed by scripts/deps.sh), two instances with
// their own config, data folder and ports under a temp dir, one remote_servers cluster of two
// shards (one replica each), one password user. Started in about a second each; stopped after.
//
// The config is the XML of the Debian package's 18.16 (root element <yandex>, which current
// releases still read).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const SERVER_BIN = '/usr/sbin/clickhouse-server'
export const CLUSTER = 'ecogov_cluster'
export const USER = 'ecogov'
export const PASSWORD = 'pw-"<&>\'-test'

/** Why the cluster cannot run here (null when it can). Tries scripts/deps.sh once when the
 * package is missing, so a fresh Debian 12 installs it as `make test` does. */
export function unavailable() {
  if (existsSync(SERVER_BIN)) return null
  spawnSync('scripts/deps.sh', [], { stdio: 'inherit', timeout: 600_000 })
  return existsSync(SERVER_BIN) ? null
    : `clickhouse-server could not be installed (${SERVER_BIN} missing after scripts/deps.sh)`
}

/** A free loopback TCP port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)) })
  })
}

function xml(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
}

function usersXml() {
  return `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>1000000000</max_memory_usage></default></profiles>
  <users>
    <${USER}><password>${xml(PASSWORD)}</password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile><quota>default</quota></${USER}>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`
}

function configXml(dir, shard, ports) {
  const shards = ports.map((p) => `<shard><replica><host>127.0.0.1</host><port>${p.tcp}</port>` +
    `<user>${USER}</user><password>${xml(PASSWORD)}</password></replica></shard>`).join('\n      ')
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/error.log</errorlog>
    <size>10M</size><count>1</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${ports[shard].http}</http_port>
  <tcp_port>${ports[shard].tcp}</tcp_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <users_config>${path.dirname(dir)}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>67108864</mark_cache_size>
  <max_concurrent_queries>64</max_concurrent_queries>
  <remote_servers>
    <${CLUSTER}>
      ${shards}
    </${CLUSTER}>
  </remote_servers>
</yandex>
`
}

/** Runs one SQL statement on an HTTP endpoint as the test user; resolves to the body text,
 * rejects with ClickHouse's message on a non-200. */
export async function chQuery(url, sql) {
  const auth = 'Basic ' + Buffer.from(`${USER}:${PASSWORD}`).toString('base64')
  const r = await fetch(url + '/', { method: 'POST', body: sql, headers: { authorization: auth } })
  const text = await r.text()
  if (r.status !== 200) throw new Error(`clickhouse ${r.status}: ${text}`)
  return text
}

async function waitReady(url, proc, logFile, deadline) {
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`clickhouse-server exited (${proc.exitCode}):\n${tail(logFile)}`)
    try {
      const r = await fetch(url + '/ping')
      if (r.status === 200) return
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`clickhouse-server not ready at ${url}:\n${tail(logFile)}`)
    await new Promise((res) => setTimeout(res, 100))
  }
}

function tail(file) {
  try { return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n') } catch { return '' }
}

/** Starts the two-shard cluster. Resolves to {urls, cluster, user, password, shards[],
 * stopShard(i), startShard(i), query(sql, i = 0), stop()}. Ready within 60 s or rejects. */
export async function startCluster({ shards = 2 } = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'ecogov-ch-'))
  writeFileSync(path.join(root, 'users.xml'), usersXml())
  const ports = []
  for (let i = 0; i < shards; i++) ports.push({ http: await freePort(), tcp: await freePort() })
  const nodes = ports.map((p, i) => {
    const dir = path.join(root, `shard${i + 1}`)
    mkdirSync(path.join(dir, 'data'), { recursive: true })
    mkdirSync(path.join(dir, 'tmp'), { recursive: true })
    writeFileSync(path.join(dir, 'config.xml'), configXml(dir, i, ports))
    return { dir, url: `http://127.0.0.1:${p.http}`, proc: null }
  })
  const start = async (i) => {
    const n = nodes[i]
    n.proc = spawn(SERVER_BIN, [`--config-file=${path.join(n.dir, 'config.xml')}`],
      { stdio: ['ignore', 'ignore', 'ignore'] })
    n.exited = new Promise((res) => n.proc.once('exit', res))
    await waitReady(n.url, n.proc, path.join(n.dir, 'error.log'), Date.now() + 60_000)
  }
  const stopShard = async (i, signal = 'SIGKILL') => {
    const n = nodes[i]
    if (n.proc && n.proc.exitCode === null) { n.proc.kill(signal); await n.exited }
    n.proc = null
  }
  try {
    for (let i = 0; i < shards; i++) await start(i)
  } catch (e) {
    for (let i = 0; i < shards; i++) await stopShard(i)
    rmSync(root, { recursive: true, force: true })
    throw e
  }
  return {
    root,
    urls: nodes.map((n) => n.url),
    cluster: CLUSTER,
    user: USER,
    password: PASSWORD,
    startShard: start,
    stopShard,
    query: (sql, i = 0) => chQuery(nodes[i].url, sql),
    async stop() {
      for (let i = 0; i < shards; i++) await stopShard(i, 'SIGTERM')
      rmSync(root, { recursive: true, force: true })
    },
  }
}

/** The ecogov options that put device data on cluster c (database: one per test file). */
export function chFlags(c, database, urls = c.urls) {
  return ['--readings-backend=clickhouse', `--clickhouse-urls=${urls.join(',')}`,
    `--clickhouse-user=${c.user}`, `--clickhouse-password=${c.password}`,
    `--clickhouse-cluster=${c.cluster}`, `--clickhouse-database=${database}`]
}
