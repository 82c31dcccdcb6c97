import { cache } from "react";
import { clientForTarget } from "./targets";

/**
 * `clientForTarget` once per server request (React's `cache`): a list page's guard and the read it
 * starts beside it share one database read and one password decryption. Outside a React server
 * render (route handlers, scripts, tests) it is `clientForTarget` itself.
 */
export const clientForTargetInRequest = cache((targetId: number) => clientForTarget(targetId));
