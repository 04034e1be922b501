// The route table: every REST path of the contract.

import { asyncRoutes } from './async.js'
import { authRoutes } from './auth.js'
import { conversationRoutes } from './conversations.js'
import { experienceRoutes } from './experiences.js'
import type { Route } from './route.js'
import { telephonyRoutes } from './telephony.js'

export { ok, type Route, type RouteContext } from './route.js'

export const ROUTES: Route[] = [...authRoutes, ...asyncRoutes, ...telephonyRoutes, ...experienceRoutes, ...conversationRoutes]
