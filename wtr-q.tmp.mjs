import base from './web-test-runner.config.js'
const only = process.env.ONLY ?? 'widget/test/questionnaire.test.ts'
export default { ...base, groups: base.groups.filter((g) => !process.env.GROUP || g.name === process.env.GROUP).map((g) => ({ ...g, files: only })) }
