// Shared by the approval browser tests: a material counts as received only with a file.
import assert from 'node:assert/strict'

/** Uploads a small PDF as material `key` of application `id` through the API, as the page's user. */
export async function uploadPdf(page, id, key) {
  const status = await page.evaluate(async ({ id, key }) => {
    const me = await (await fetch('/api/v1/auth/me')).json()
    const res = await fetch(`/api/v1/approval/applications/${id}/materials/${key}/files?name=${key}.pdf`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': me.csrf_token || '' },
      body: '%PDF-1.4\n%%EOF\n',
    })
    return res.status
  }, { id, key })
  assert.equal(status, 201)
}
