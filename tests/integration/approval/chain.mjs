// Shared by the approval tests: a decision is issued only after the internal sign-off chain,
// 经办人 (staff of 环评科) drafts → 科长 (chief) reviews → 分管局领导 (leader) signs.
import { Client } from '../lib.mjs'

const clients = new Map()
async function as(url, role) {
  const key = `${url} ${role}`
  if (!clients.has(key)) clients.set(key, await Client.as(url, role))
  return clients.get(key)
}

/** Runs the chain on application `id` for `decision` (and `ground` for a refusal), dated `on`;
 * throws with the answer when a step is refused. */
export async function signOff(url, id, { decision = 'approve', ground, on, conditions = '落实报告表提出的各项污染防治措施。' } = {}) {
  const steps = [
    ['staff', { action: 'signoff_draft', decision, ground, conditions, opinion: '经审查，拟办意见如下。', on }],
    ['chief', { action: 'signoff_review', opinion: '同意拟办意见。', on }],
    ['leader', { action: 'signoff_sign', opinion: '同意，签发。', on }],
  ]
  for (const [role, body] of steps) {
    const c = await as(url, role)
    const r = await c.post(`/api/v1/approval/applications/${id}/actions`, body)
    if (r.status !== 200) throw new Error(`${body.action}: ${r.status} ${r.text}`)
  }
}
