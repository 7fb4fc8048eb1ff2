/**
 * Selection methods beside LIM, pure (no I/O, no React): the CLI, the export and the run page
 * in the browser compute the same scores, categories and selections from one LimResult.
 */
export { METHOD_NAMES, METHODS, isMethodName, scoreColumnName, type MethodInfo, type MethodName } from "./methods";
export { methodScores, scoreColumns, scoredCount, type MethodOptions, type MethodScores } from "./method-scores";
export { checkRule, defaultRule, describeRule, limBudget, LINEAR_THRESHOLD, MethodRuleError, selectedOrdinals, selectPrompts, type Rule, type Selection } from "./select";
export { AMBIGUOUS_PERCENTILE, cartography, isRegion, REGION_CODES, REGIONS, type CartographyMap, type Region } from "./cartography";
export { CATEGORIES, CATEGORY_CODES, categorize, categoryCounts, type Category } from "./categories";
export { definedValues, percentileInPlace, selectKth } from "./order-statistics";
export { overlap, type Overlap } from "./overlap";
export { isSeed, mulberry32, uniformDraws } from "./rand";
export { HEAVY_ROLLOUTS, logShape, methodWarnings, type LogShape } from "./warnings";
