// Limits shared by the schemas and the forms' hints. Kept apart from the schemas so that client
// components can show them without bundling the common-password list.
export const USERNAME_MIN_LENGTH = 3
export const USERNAME_MAX_LENGTH = 32
export const PASSWORD_MIN_LENGTH = 8
export const PASSWORD_MAX_LENGTH = 128
export const TODO_MAX_LENGTH = 256
