// A deflated .zip of a folder, as WordPress's plugin uploader expects (one top folder holding
// the plugin). Fixed timestamps and sorted entries: the same sources give the same bytes.
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { deflateRawSync } from 'node:zlib'

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

// 2024-01-01 00:00 in MS-DOS date/time format.
const DOS_TIME = 0
const DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1

/** Zips `dir` so that every entry sits under `top/`. */
export function zipFolder(dir: string, top: string): Buffer {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const file of files) {
    const name = Buffer.from(`${top}/${relative(dir, file).split(sep).join('/')}`, 'utf8')
    const data = readFileSync(file)
    const packed = deflateRawSync(data, { level: 9 })
    const crc = crc32(data)
    // The local header and the central directory entry describe the file with the same fields,
    // in the same order, from byte 4 of the one and byte 6 of the other.
    const describe = (header: Buffer, at: number) => {
      header.writeUInt16LE(20, at) // version needed: 2.0
      header.writeUInt16LE(0x0800, at + 2) // names are UTF-8
      header.writeUInt16LE(8, at + 4) // deflate
      header.writeUInt16LE(DOS_TIME, at + 6)
      header.writeUInt16LE(DOS_DATE, at + 8)
      header.writeUInt32LE(crc, at + 10)
      header.writeUInt32LE(packed.length, at + 14)
      header.writeUInt32LE(data.length, at + 18)
      header.writeUInt16LE(name.length, at + 22)
    }
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    describe(local, 4)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(0x0314, 4) // made by: Unix, spec 2.0
    describe(central, 6)
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38) // -rw-r--r--
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, packed)
    centrals.push(central, name)
    offset += local.length + name.length + packed.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(files.length, 8)
  end.writeUInt16LE(files.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}
