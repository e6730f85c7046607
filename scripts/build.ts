// `npm run build`: build the Next.js app unconditionally (npm start builds only when sources changed).
import { buildApp } from "./lib/build";

buildApp({ force: true });
