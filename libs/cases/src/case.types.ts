export const CASE_TYPES = ['ex_officio', 'complaint', 'cooperation', 'breach'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];

export const RISK_FLAGS = ['children', 'cross_border_transfer', 'sensitive_data'] as const;
export type RiskFlag = (typeof RISK_FLAGS)[number];

export const sqlList = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');
