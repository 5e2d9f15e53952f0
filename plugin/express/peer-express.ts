/** express, an optional peer dependency of churnkit/express, imported with a clear error when missing. */
import { importPeer } from '../optional-peer.js';

const express = (await importPeer('express', 'churnkit/express', () => import('express'))).default;

export default express;
