// The province page on the demo (issue 12): an administrator opens 全省排名 without choosing a
// month and sees the month of yesterday (Beijing; on the 1st the month just ended) with the
// demo province's four cities, each with its mean daily AQI, and the districts with their
// stations' online rates (九江濂溪 stopped sending two days ago).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, launchBrowser, newPage, login, screenshot, ACCOUNTS } from '../lib.mjs'

let server, browser

before(async () => {
  server = await startServer({ enterprises: 5 })
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

test('the demo\'s province page shows the cities\' AQI and online rates', async () => {
  const page = await newPage(browser, server.url)
  await login(page, ACCOUNTS.admin, '/console')
  await page.goto('/console/monitor/province')
  const yesterday = new Date(Date.now() + 8 * 3600e3 - 86400e3).toISOString().slice(0, 7)
  assert.equal(await page.getByTestId('province-month').locator('input').inputValue(), yesterday)
  const cities = page.getByTestId('province-cities')
  await cities.locator('.el-table__body tr', { hasText: '南昌市' }).waitFor()
  for (const name of ['景瓷市', '南昌市', '九江市', '上饶市']) {
    const row = cities.locator('.el-table__body tr', { hasText: name })
    const aqi = (await row.getByTestId('province-aqi').textContent()).trim()
    assert.match(aqi, /^\d+(\.\d)?$/, `${name}: AQI ${aqi}`)
    assert.ok(Number(aqi) > 0)
  }
  assert.match(await cities.locator('.el-table__body tr', { hasText: '南昌市' }).textContent(), /3 \/ 3 \(100\.0%\)/)
  assert.match(await cities.locator('.el-table__body tr', { hasText: '九江市' }).textContent(), /1 \/ 2 \(50\.0%\)/)
  const districts = page.getByTestId('province-table')
  assert.match(await districts.locator('.el-table__body tr', { hasText: '濂溪区' }).textContent(), /0 \/ 1 \(0\.0%\)/)
  // ten districts have AQI stations; 濂溪区's may have no day in the month's first days
  assert.ok(await districts.getByTestId('province-aqi').count() >= 9, 'the districts with AQI stations')
  await screenshot(page, 'monitor-province-demo')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
