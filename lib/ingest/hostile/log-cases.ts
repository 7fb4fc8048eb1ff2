import type { HostileCase } from "./case-types";
import { GENERIC_LOG_CASES } from "./generic-log-cases";
import { OPENRLHF_CASES } from "./openrlhf-cases";
import { TRAINER_LOG_CASES } from "./trainer-log-cases";

/** Malformed logs, format by format. */
export const LOG_CASES: HostileCase[] = [...OPENRLHF_CASES, ...TRAINER_LOG_CASES, ...GENERIC_LOG_CASES];
