// Node module-resolution hook for the desktop boot driver: the app's built main bundle imports
// `electron`, which resolves here to the behavioural model instead of the npm package (whose
// index only returns the path of a binary this machine does not have).
let modelUrl;

export async function initialize(data) {
  modelUrl = data.modelUrl;
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: modelUrl, shortCircuit: true };
  return nextResolve(specifier, context);
}
