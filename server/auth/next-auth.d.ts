// What our Auth.js callbacks add to its types (see config.ts).
import 'next-auth'
import 'next-auth/jwt'

declare module 'next-auth' {
  interface User {
    sessionVersion?: number
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    sid?: string
    ver?: number
  }
}
