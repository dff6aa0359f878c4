export declare function serverSettings(env?: Record<string, string | undefined>): { port: number; hostname: string; trustedHops: number }
