// Shared by the approval browser tests: the sign-off chain (经办人 → 科长 → 分管局领导) run over
// the API by its three accounts, for tests whose subject is not the chain itself.
import assert from 'node:assert/strict'
import { ACCOUNTS, newPage, login, call } from '../lib.mjs'

/** Drafts (approve), reviews and signs application `id` on day `on`, each as its own account. */
export async function signOffApi(browser, url, id, on) {
  const steps = [
    [ACCOUNTS.staff, '/console', { action: 'signoff_draft', decision: 'approve', opinion: '拟同意。', conditions: '落实各项污染防治措施。', on }],
    [ACCOUNTS.chief, '/console', { action: 'signoff_review', opinion: '同意。', on }],
    [ACCOUNTS.leader, '/console', { action: 'signoff_sign', opinion: '同意，签发。', on }],
  ]
  for (const [account, home, body] of steps) {
    const page = await newPage(browser, url)
    await login(page, account, home)
    const r = await call(page, 'POST', `/approval/applications/${id}/actions`, body)
    assert.equal(r.status, 200, JSON.stringify(r.json))
    await page.context().close()
  }
}
