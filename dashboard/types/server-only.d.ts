// Next.js resolves `server-only` itself (importing it from a client component fails the build).
declare module 'server-only';
