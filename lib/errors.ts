// Errors are classes with a code (CONVENTIONS 6). The message is for people; the code is for code.

export class PulseError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ConfigError extends PulseError {}
export class IngestError extends PulseError {}
export class WarehouseError extends PulseError {}
export class JobError extends PulseError {}
export class ModelError extends PulseError {}
export class ReportError extends PulseError {}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
