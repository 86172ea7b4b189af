declare module 'asl-validator' {
  export interface AslValidationResult {
    isValid: boolean;
    errors: { message?: string; 'Error code'?: string; [key: string]: unknown }[];
    errorsText: (separator?: string) => string;
  }
  export default function aslValidator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): AslValidationResult;
}
