// The types of builtinValidators.js, which scripts/generateValidators.ts writes at build time.
import type { ValidateFunction } from 'ajv';

export declare const commonsV7: ValidateFunction;
export declare const commonsV1: ValidateFunction;
export declare const config: ValidateFunction;
