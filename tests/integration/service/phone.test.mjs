// Phone numbers (issue 17 item 11e): a booking's, a walk-in's, a service form's and an enterprise
// contact's phone go through the one rule (domain/phone.h) — an 11-digit mainland mobile or a
// landline with its area code; a 7-digit number, one without its area code or a service number is
// refused with the same message everywhere, and nothing is stored.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'

let env, srv, staff, anon, ent, dayId
before(async () => {
  env = demoDb({ enterprises: 10 })
  srv = await startServer(env.db)
  staff = await Client.as(srv.url, 'staff')
  ent = await Client.as(srv.url, 'enterprise')
  anon = new Client(srv.url)
  // a public reception day on a working Wednesday ahead
  for (let i = 7; i < 60 && !dayId; i++) {
    const d = new Date(Date.now() + i * 86400000)
    if (d.getUTCDay() !== 3) continue
    const r = await staff.post('/api/v1/service/reception-days', { kind: 'public', day: d.toISOString().slice(0, 10), leaders: '张局长', place: '接待室', capacity: 50 })
    if (r.status === 201) dayId = r.json.id
  }
  assert.ok(dayId)
})
after(async () => {
  await srv?.stop()
  env?.cleanup()
})

const GOOD = ['13807980001', '+86 138 0798 0001', '138-0798-0001', '0798-8512369', '(0798)8512369', '010-62345678', '0798-8512369-123']
const BAD = ['8512369', '85123690', '0798-12369', '0798-1512369', '12345678901', '1380798000', '010-6234567']

async function entries() {
  return (await staff.get(`/api/v1/service/reception-days/${dayId}`)).json.entries.length
}

test('a public booking takes a mobile or a landline with its area code, and refuses the rest', async () => {
  const before = await entries()
  for (const phone of BAD) {
    const r = await anon.post(`/api/v1/service/reception-days/${dayId}/public-bookings`, { person_name: '群众', phone, topic: '噪声' })
    assert.equal(r.status, 422, phone)
    assert.equal(r.json.error.field, 'phone')
    assert.match(r.json.error.message, /11 位手机号码或带区号的固定电话/)
  }
  assert.equal(await entries(), before, 'nothing stored')
  for (const phone of GOOD) {
    const r = await anon.post(`/api/v1/service/reception-days/${dayId}/public-bookings`, { person_name: '群众', phone, topic: '噪声' })
    assert.equal(r.status, 201, `${phone}: ${r.text}`)
  }
  assert.equal(await entries(), before + GOOD.length)
})

test('walk-ins, enterprise bookings and enterprise contacts follow the same rule', async () => {
  let r = await staff.post(`/api/v1/service/reception-days/${dayId}/walk-ins`, { org_name: '某厂', person_name: '张', phone: '8123456', people: 1, topic: '监测' })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.field, 'phone')
  r = await ent.post(`/api/v1/service/reception-days/${dayId}/bookings`, { person_name: '王', phone: '5551234', topic: '许可' })
  assert.ok([403, 422].includes(r.status), r.text) // a public day: not for enterprise bookings, or refused for the phone
  const me = (await ent.get('/api/v1/auth/me')).json.user
  // each write answers with the record (and its new version) the next one starts from
  const put = async (phone) => {
    const own = (await ent.get(`/api/v1/enterprises/${me.enterprise_id}`)).json
    return ent.put(`/api/v1/enterprises/${me.enterprise_id}`, { ...own, contacts: [{ name: '联系人', phone }] })
  }
  r = await put('8512369')
  assert.equal(r.status, 422)
  assert.match(r.json.error.message, /11 位手机号码或带区号的固定电话/)
  r = await put('0798-8512369')
  assert.equal(r.status, 200, r.text)
  r = await put('')
  assert.equal(r.status, 200, 'a contact without a phone is allowed')
})
