import type { DestinationStream, Logger } from 'pino'

export declare function instanceName(env?: NodeJS.ProcessEnv): string
export declare function createLogger(destination?: DestinationStream, options?: { redact?: boolean }): Logger
export declare const logger: Logger
export declare const accessLogger: Logger
export declare function onLogLine(listener: (line: string) => void): () => void
export declare const REQUEST_ID_HEADER: 'x-request-id'
export declare function requestIdFrom(header: string | string[] | undefined | null): string
