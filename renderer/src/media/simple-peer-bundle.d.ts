declare module 'simple-peer/simplepeer.min.js' {
  import type SimplePeer from 'simple-peer';
  const bundle: SimplePeer.SimplePeer;
  export default bundle;
}
