/** The Telephony API's one REST path (contract 5): start and stop both POST here, told apart by `operation`. */
export const CONNECT = '/v1/endpoint:connect'
