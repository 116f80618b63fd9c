// Types of webgpu-shim.mjs (dawn.node as navigator.gpu).
export declare function releaseKeepAlive(): void;
export declare const gpu: GPU;
