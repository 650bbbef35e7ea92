/** What other packages may use without booting the gateway (the CLI's `user add`, `apikey create`). */
export { addUser, createApiKey, GatewayError, removeUser, ROLES, setPassword } from './admin';
