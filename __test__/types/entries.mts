// The other entries that hand out a namespace: each is lib.dom's `typeof WebAssembly`.
import latest from 'jitless-wasm/latest';
import { WebAssembly as polyfilled, install } from 'jitless-wasm/polyfill';
import { WebAssembly as registered, installed } from 'jitless-wasm/register';
import { createWebAssembly } from 'jitless-wasm/limits';

export const fromLatest: typeof WebAssembly = latest;
export const fromPolyfill: typeof WebAssembly = polyfilled;
export const fromRegister: typeof WebAssembly | undefined = registered;
export const limited: typeof WebAssembly = createWebAssembly({ fuel: 1000n, deadline: 50 });
export const flags: boolean[] = [install({ force: false }), installed];
