import { z } from 'zod';

/**
 * Import this FIRST in every browser-side bundle (the preload, the renderer entry), before any
 * module that builds a schema. Zod 4 decides per object schema, when the schema is built, whether
 * to compile a fast parser with `new Function` (zod/v4/core/schemas.js: `jit && allowsEval.value`);
 * the probe behind allowsEval runs `new Function("")`, which the app's CSP (no 'unsafe-eval')
 * refuses and reports as a violation even though zod catches the error. jitless skips both the
 * probe and the compiler (zod/v4/core/util.js allowsEval). Module evaluation follows import
 * order, so being first is what makes this run before the schemas exist.
 */
z.config({ jitless: true });
