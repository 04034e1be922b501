// The DOM types the microphone API names, written so the published .d.ts files also type-check in a
// project without lib "dom" (a Node service with skipLibCheck: false): each is the DOM's own type when
// the project has the DOM globals, and `never` when it does not (there is no microphone to capture on
// Node, so nothing there has these values). No runtime code.

/** The instance type of the global class `Name`, when the project's libs declare one; else `never`. */
type GlobalInstance<Name extends string> = typeof globalThis extends Record<Name, { prototype: infer T }> ? T : never

/** The DOM's `MediaStreamTrack` (never without lib dom). */
export type DomMediaStreamTrack = GlobalInstance<'MediaStreamTrack'>
/** The DOM's `AudioContext` (never without lib dom). */
export type DomAudioContext = GlobalInstance<'AudioContext'>
/** The DOM's `MediaTrackConstraints`, the argument of `MediaStreamTrack.applyConstraints` (never without lib dom). */
export type DomMediaTrackConstraints = DomMediaStreamTrack extends { applyConstraints(constraints?: infer C): unknown }
  ? NonNullable<C>
  : never
