/** Entry point of the bundled server the VS Code client starts (node-ipc or stdio, from argv). */
import { startServer } from './server';

startServer();
