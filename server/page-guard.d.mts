import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'

export declare const SESSION_COOKIE_NAME: RegExp
export declare const PUBLIC_PATHS: ReadonlySet<string>
export declare const GUARD_HEADERS: readonly string[]
export declare function isPagePath(pathname: string): boolean
export declare function contentSecurityPolicy(nonce: string, options?: { development?: boolean }): string
export declare function hasSessionCookie(cookieHeader: string | undefined | null): boolean
export declare function isForeignServerAction(method: string | undefined, headers: IncomingHttpHeaders): boolean
export declare function logInLocation(returnTo: string): string
export declare function guardPage(request: IncomingMessage, response: ServerResponse, options?: { development?: boolean }): boolean
