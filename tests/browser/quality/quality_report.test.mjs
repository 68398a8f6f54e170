// The printable monthly air-quality report (/air/report/monthly), reached from the public air page:
// the city's good-day ratio, PM2.5 and composite index and the days by AQI level are the API's
// monthly evaluation; districts are ranked by composite index (rank 1 = lowest) as the Excel does;
// every row carries its completeness label; the Excel of the same month downloads.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, launchBrowser, newPage, screenshot } from '../lib.mjs'

let srv
let browser

before(async () => {
  srv = await startServer({ enterprises: 20 })
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

const get = async (p) => (await fetch(srv.url + '/api/v1' + p)).json()
const show = (v) => (v === null || v === undefined ? '—' : String(v))

test('monthly report: figures from the monthly evaluation, district ranking, completeness, Excel', async () => {
  const page = await newPage(browser, srv.url)
  await page.goto('/air')
  await page.getByTestId('air-monthly-link').click()
  await page.waitForURL(/\/air\/report\/monthly/)
  const ym = await page.getByTestId('report-month').inputValue()
  const [year, month] = ym.split('-').map(Number)
  const report = page.getByTestId('monthly-report')
  await page.locator('[data-testid=monthly-report][data-loading="0"] [data-testid=mr-table] tr[data-group=station]').first().waitFor()

  // the city row and the summary are the API's figures
  const city = await get(`/quality/monthly?area=city&year=${year}&month=${month}`)
  const row = page.getByTestId('mr-table').locator('tr[data-label="全市"]')
  assert.equal((await row.locator('td[data-col=pm25]').innerText()).replace('*', '').trim(), show(city.items.pm25.mean.value))
  assert.equal((await row.locator('td[data-col=ci]').innerText()).trim(), show(city.composite_index))
  assert.equal((await page.getByTestId('mr-city-ratio').innerText()).trim(), `${city.days.good_ratio}%`)
  assert.equal((await page.getByTestId('mr-city-good').innerText()).trim(), String(city.days.good))
  const lv = page.getByTestId('mr-levels').locator('tr[data-label="全市"]')
  for (let k = 0; k < 6; k++) assert.equal((await lv.locator(`td[data-level="${k + 1}"]`).innerText()).trim(), String(city.days.levels[k]))
  const short = ['so2', 'no2', 'pm10', 'pm25'].filter((p) => !city.items[p].mean.valid)
  const label = (await row.locator('td[data-col=completeness]').innerText()).trim()
  if (short.length) assert.match(label, /\d+\/\d+/)
  else if (city.items.co.percentile.valid && city.items.o3.percentile.valid) assert.equal(label, '有效')

  // districts ranked by composite index, ascending, the same rule as the Excel
  const stations = (await get('/quality/stations?kind=official')).items
  const districts = [...new Set(stations.map((s) => s.district).filter(Boolean))]
  const ci = {}
  for (const d of districts) ci[d] = (await get(`/quality/monthly?area=${encodeURIComponent(d)}&year=${year}&month=${month}`)).composite_index
  const ranked = districts.filter((d) => ci[d] !== null)
  for (const d of ranked) {
    const want = 1 + ranked.filter((o) => ci[o] < ci[d]).length
    const got = await page.getByTestId('mr-rank-district').locator(`tr[data-label="${d}"]`).getAttribute('data-rank')
    assert.equal(Number(got), want, `rank of ${d}`)
  }
  assert.equal(await page.getByTestId('mr-table').locator('tr[data-group=district]').count(), districts.length)
  assert.equal(await page.getByTestId('mr-table').locator('tr[data-group=station]').count(), stations.length)

  const x = await fetch(srv.url + (await page.getByTestId('monthly-xlsx').getAttribute('href')))
  assert.equal(x.status, 200)
  assert.match(x.headers.get('content-type'), /spreadsheetml/)
  const bytes = Buffer.from(await x.arrayBuffer())
  assert.equal(bytes.subarray(0, 2).toString(), 'PK')
  await report.waitFor()
  await screenshot(page, 'quality-monthly-report')
  await page.close()
})
