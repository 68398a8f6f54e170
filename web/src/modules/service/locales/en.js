// English · enterprise service pages (on-site service, reception days, supervision tracking, statistics).
// Keys must match zh-CN/service.js.
export default {
  service: {
    category: { eia: 'EIA approval', permit: 'Discharge permit', monitoring: 'Monitoring', enforcement: 'Enforcement', techHelp: 'Technical assistance', policy: 'Policy enquiry', other: 'Other' },
    purpose: { research: 'Survey', enforcement: 'Enforcement', inspection: 'Inspection', guidance: 'Guidance', service: 'Service' },
    visits: {
      plan: 'Plan an on-site visit', planned: 'On-site visit planned', rating: 'Rating', purposeLong: 'Purpose', place: 'Place',
      entPlaceholder: 'Enterprise name or credit code', staffHint: 'Enforcement needs two or more staff; the first one leads', staffOption: '{name} ({section})',
    },
    sheet: {
      title: 'On-site service form · {name}', phoneConfirm: 'Record phone confirmation', phonePrompt: 'Phone confirmation (contact person, time)', phoneTitle: 'Phone confirmation', phoneInput: 'Confirmed by phone: ',
      makeLink: 'Create QR code for the form', print: 'Print form', entName: 'Enterprise name', uscc: 'Unified social credit code', confirmation: 'Appointment',
      byPortal: 'Confirmed online by the enterprise', byPhone: 'Confirmed by phone', unconfirmed: 'Not confirmed', section: 'Owner section', qrAlt: 'QR code',
      qrHint: 'The enterprise scans the code or opens the link to fill in the form (single use)', validUntil: 'Valid until {time}',
      issues: 'Issues raised by the enterprise', notFilled: 'Not filled in by the enterprise yet', issueDesc: 'Description', answerCol: 'Answer / handling', answerPlaceholder: 'Answer given on site', assigned: 'Assigned #{id}',
      review: 'Enterprise rating', evaluation: 'Comments', suggestions: 'Suggestions', signer: 'Signed by', badReview: 'Bad review: a follow-up and rectification item was created automatically', notRated: 'Not rated by the enterprise yet',
      helpTitle: 'Help on site and commitments', helpPlaceholder: 'Help given on site', promise: 'Commitment', promiseIssue: 'Related issue', workdays: 'working days', addPromise: 'Add commitment',
      items: 'Tracked items', deadline: 'Deadline',
    },
    form: {
      head: 'On-site service form · rating', done: 'Submitted', doneSub: 'Thank you for your feedback; we will take your comments seriously.', issues: 'Issues and requests',
      issuePlaceholder: 'Describe the environmental issue you face', addIssue: '+ Add issue', rating: 'Rate our service', evaluation: 'Comments', suggestions: 'Suggestions',
      sign: 'Signature', signer: 'Name of signer', phone: 'Phone',
    },
    days: {
      title: 'Reception days', plan: 'Schedule a reception day', accepted: 'Accepted', kind: 'Type', kindPublic: 'Citizens', kindEnterprise: 'Enterprises',
      leaders: 'Leaders on duty', place: 'Place', booked: 'Booked', received: 'Received', issues: 'Issues taken',
      status: { scheduled: 'Scheduled', held: 'Held', cancelled: 'Cancelled' },
      publicDay: 'Public reception day', enterpriseDay: 'Enterprise reception day', noEntries: 'No bookings or walk-ins yet',
      way: 'Via', byBooking: 'Booking', walkIn: 'Walk-in', org: 'Enterprise / organisation', citizen: 'Citizen', visitor: 'Visitor', people: 'People', topic: 'Topic',
      entryStatus: { booked: 'Booked', received: 'Received', cancelled: 'Cancelled' },
      register: 'Register walk-in', name: 'Name', orgPlaceholder: 'Enterprise / organisation (optional for citizens)', phone: 'Phone', registerBtn: 'Register',
      none: 'None', issue: 'Issue', handling: 'Handling', answered: 'Answered on site', committed: 'Assigned with a commitment', answerOrSection: 'Answer / owner section', deadlineSuffix: '{section} · due {deadline}',
      pickVisitor: 'Choose a registered visitor', issueDesc: 'Description', resolution: 'Handling', committedLong: 'Assign with a commitment (tracked)', answer: 'Answer',
      section: 'Owner section', withinWorkdays: 'working days to close', accept: 'Accept', capacity: 'Places',
    },
    stats: {
      title: 'Service statistics', dashboard: 'Leadership dashboard', visits: 'On-site visits', forms: 'Service forms', satisfaction: 'Satisfaction rate', badOpen: 'Bad reviews to rectify', warning: 'Items in warning',
      overdue: 'Overdue items', onTimeRate: 'On-time closure rate', trend: 'Visits and satisfaction by month', sources: 'Tracked items by source', alerts: 'Items needing attention', month: 'M{n}', times: 'visits',
      stats: 'Statistics', bySection: 'By section', byStaff: 'By staff', name: 'Name', avgRating: 'Average rating', badReviews: 'Bad reviews', items: 'Tracked items', closed: 'Closed', avgDays: 'Average days to close',
      quarterly: 'Quarterly review', quarter: 'Q{n}', assigned: 'Assigned', closedDay: 'Closed',
      quarterSummary: 'As of {asOf}: {items} commitments in total, {done} closed ({late} of them late), {progress} in progress, {overdue} overdue.',
      annual: 'Annual statistics',
      annualSummary: 'In {year}: {days} reception days held, {ents} enterprises and {people} visits from citizens and enterprise representatives received, {issues} issues taken on site, {answered} answered on the spot, {solved} solved after assignment, {progress} in progress, {overdue} overdue; answered or solved: {rate}.',
      receivedPeople: 'Visitors',
    },
    tracker: {
      title: 'Supervision tracking', create: 'New item', createTitle: 'New tracked item', assignedDay: 'Assigned on', drawer: 'Tracked item #{id}', detail: 'Details', owner: 'Owner',
      ownerText: '{section} {user} (assigned by {assigner})', system: 'system', period: '{start} to {deadline}, warning from {warn}',
      evidence: 'Evidence', log: 'Progress log', notePlaceholder: 'Progress / review comments', progress: 'Report progress', submit: 'Submit as done', approve: 'Approve',
      reject: 'Send back', reopen: 'Reopen', timeLimit: 'Time limit', byWorkdays: 'Working days', byDate: 'By date',
    },
  },
}
