export default {
  river: {
    nav: { group: 'River chiefs', map: 'Rivers and reaches', chiefs: 'River chiefs', patrols: 'Patrols and problems', sections: 'Sections and responsibility' },
    level: { city: 'City', county: 'County', township: 'Township', village: 'Village' },
    role: { chief: 'Chief', deputy: 'Deputy' },
    category: { occupy: 'Illegal occupation', mining: 'Illegal mining', dumping: 'Illegal dumping', building: 'Illegal building', outfall: 'Sewage outfall', dead_fish: 'Dead fish', floating_waste: 'Floating waste', other: 'Other' },
    kind: { river: 'River', lake: 'Lake or reservoir' },
    status: { open: 'Open', submitted: 'Submitted', closed: 'Closed' },
    state: { on_time: 'On time', warning: 'Warning', overdue: 'Overdue', done: 'Done' },
    col: {
      code: 'Code', name: 'Name', water: 'River or lake', township: 'Township', village: 'Village', length: 'Length (m)', chiefs: 'Chiefs', sections: 'Sections',
      level: 'Level', title: 'Title', phone: 'Phone', duties: 'Duties', reaches: 'Reaches', account: 'Account ID', chief: 'Chief', reach: 'Reach',
      interval: 'Interval (days)', lastPatrol: 'Last patrol', due: 'Due', behind: 'Days behind', day: 'Day', distance: 'Distance (m)', fixes: 'Fixes',
      gaps: 'Gaps', fast: 'Speed flags', problems: 'Problems', category: 'Category', description: 'Description', deadline: 'Deadline', status: 'Status', photos: 'Photos', since: 'Since',
    },
    map: {
      intro: 'Reaches are imported as GeoJSON (LineString / MultiLineString / Polygon, WGS84) or as a Shapefile layer zipped with its .shx, .dbf and .prj; importing a code again updates it. Sections are coloured by the latest month\'s class.',
      import: 'Import GeoJSON or Shapefile (.zip)', imported: 'Imported: {created} new, {updated} updated', importErrors: 'The file has errors; nothing was imported',
      qr: 'Signboard QR', qrTitle: 'Signboard QR of {name}', print: 'Print', open: 'Open the public page', noTiles: 'No map tiles configured; reaches and sections only', office: 'Tracker section', link: 'Put a section on a reach', linked: 'Section linked', noBoundary: 'Not a boundary section', sectionTip: '{name}: {cls} (target {target})',
    },
    chiefs: {
      add: 'New chief', edit: 'Edit', save: 'Save', intervals: 'Patrol intervals', intervalsHint: 'Days between the patrols each level owes (defaults: village weekly, township every two weeks, county monthly, city quarterly).',
      behind: 'Behind on patrols', behindNone: 'Every chief is up to date', all: 'Show all', reachPick: 'Choose reaches',
    },
    patrols: { patrols: 'Patrols', problems: 'Problems', track: 'Track', none: 'Nothing yet', citizen: 'Citizen report', patrol: 'Patrol finding', open: 'Open' },
    phone: {
      title: 'Patrol', notChief: 'This account is not linked to a river chief and cannot patrol.', pick: 'Choose the reach to patrol', start: 'Start patrol', end: 'End patrol', note: 'Patrol note',
      running: 'Patrolling', points: '{n} fixes recorded, {m} m', gps: 'Position', gpsWait: 'Waiting for a position…', gpsDenied: 'No position: {msg}', flags: '{gaps} gaps, {fast} speed flags',
      report: 'Report a problem', photo: 'Take or choose a photo', sent: 'Reported; tracker item #{id} created', done: 'Patrol ended', again: 'Patrol again', here: 'Use my position',
    },
    sections: {
      month: 'By month', year: 'By year', latest: 'Latest month', check: 'Check sections and assign', checked: '{month}: {n} new items', profile: '{y}-{m}, from upstream down',
      worse: '{d} class(es) worse than upstream', boundary: 'Boundary sections', direction: 'Type', dir: { in: 'Inflow', out: 'Outflow' }, class: 'Class', target: 'Target', met: 'Met',
      yes: 'Yes', no: 'No', pollutants: 'Main pollutants', months: 'Months met',
    },
    board: {
      title: 'River chief signboard', chiefs: 'Chiefs', duties: 'Duties', phone: 'Phone', water: 'Water quality', noSection: 'No monitoring section on this reach', target: 'target {t}',
      report: 'Report a problem', reportIntro: 'Report what you see with a photo; follow it with the report code.', name: 'Name (optional)', phoneOpt: 'Phone (optional)',
      submit: 'Submit', submitted: 'Report submitted', code: 'Report code: {code}', codeHint: 'Keep the code to follow the report.', follow: 'Follow a report', followCode: 'Report code', query: 'Look up',
      progress: 'Progress', deadline: 'Deadline: {d}', closedOn: 'Closed on {d}', notFound: 'No report with that code', ends: 'From {s} to {e}', photoAdded: 'Photo uploaded',
    },
  },
}
