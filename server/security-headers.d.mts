export declare function securityHeaders(production: boolean): { key: string; value: string }[]
export declare const API_CONTENT_SECURITY_POLICY: string
