// The scheduler's section check covers every month of the last year up to
// the latest sampled one, not only the latest: samples that miss the target
// in two earlier months, entered while nobody checked, are raised when the
// server starts (the river tick runs at start), each section-month once,
// however often it runs. And the demo's boundary section W-06 misses its
// target in the month before last whatever the seed, through the same rules.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'

const CLEAN = { ph: '7.5', do: '7.0', codmn: '3.0', cod: '14', bod5: '2.5', nh3n: '0.40', tp: '0.08', tn: '0.8', oil: '0.01' }
const envs = []
after(() => envs.forEach((e) => e.cleanup()))

function monthBefore(year, month, k) {
  let y = year, m = month - k
  while (m < 1) m += 12, y--
  return `${y}-${String(m).padStart(2, '0')}`
}

const sectionItems = async (c, code) =>
  (await c.get('/api/v1/service/tracker?source=river_section')).json.items.filter((it) => it.title.includes(code))

test('the river tick raises the missed months it never checked, once each', async () => {
  const env = demoDb({ enterprises: 5 })
  envs.push(env)
  let srv = await startServer(env.db)
  let staff = await Client.as(srv.url, 'staff')
  const now = (await staff.get('/api/v1/quality/water/sections')).json
  const early = monthBefore(now.year, now.month, 5), earlier = monthBefore(now.year, now.month, 9)
  const w01 = now.items.find((s) => s.code === 'W-01')
  const name = w01.name
  const before = await sectionItems(staff, name)
  assert.ok(!before.some((it) => it.title.includes(early) || it.title.includes(earlier)), 'W-01 met its target in those months')
  // TP far above class V in two earlier months: nobody checks them by hand
  for (const ym of [early, earlier])
    for (const day of ['06', '16', '26'])
      assert.equal((await staff.post('/api/v1/quality/water/samples', { section: 'W-01', date: `${ym}-${day}`, values: { ...CLEAN, tp: '0.90' } })).status, 200)
  assert.equal((await sectionItems(staff, name)).length, before.length, 'nothing raised before the scheduler runs')
  await srv.stop()
  for (let run = 0; run < 2; run++) {
    srv = await startServer(env.db)
    staff = await Client.as(srv.url, 'staff')
    const items = await sectionItems(staff, name)
    const raised = items.filter((it) => it.title.includes(early) || it.title.includes(earlier))
    assert.equal(raised.length, 2, JSON.stringify(items.map((it) => it.title)))
    assert.equal(items.length, before.length + 2)
    await srv.stop()
  }
})

test('the demo boundary section misses its target in the month before last, whatever the seed', async () => {
  for (const seed of [1, 7]) {
    const env = demoDb({ enterprises: 5, seed })
    envs.push(env)
    const srv = await startServer(env.db)
    try {
      const staff = await Client.as(srv.url, 'staff')
      // the demo counts from its today (China time)
      const china = new Date(Date.now() + 8 * 3600e3)
      const ym = monthBefore(china.getUTCFullYear(), china.getUTCMonth() + 1, 2)
      const [yy, mm] = ym.split('-').map(Number)
      const month = (await staff.get(`/api/v1/quality/water/sections?year=${yy}&month=${mm}`)).json
      const w06 = month.items.find((s) => s.code === 'W-06')
      assert.equal(w06.compliant, false, `seed ${seed} ${ym}: ${JSON.stringify(w06)}`)
      const items = await sectionItems(staff, w06.name)
      assert.ok(items.some((it) => it.title.includes(ym)), `seed ${seed}: an item for ${ym}`)
      const report = (await staff.get(`/api/v1/river/boundary?period=month&year=${yy}&month=${mm}`)).json
      assert.deepEqual(report.items.filter((x) => x.code === 'W-06').map((x) => x.compliant), [false])
    } finally {
      await srv.stop()
    }
  }
})
