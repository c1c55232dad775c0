/** A realistic plan for examples, the scenario tests and the benchmark. */
export const EXAMPLE_PLAN = {
  title: '关于深化营商环境改革的实施方案',
  leadUnit: '省发展改革委',
  participatingUnits: ['省财政厅', '省市场监管局'],
  responsibleLeader: '王副省长',
  responsiblePerson: '李明',
  specialGroup: '经济体制改革专项小组',
};
