import type { PackageDefinition } from '@grpc/proto-loader';
// protobufjs comes with @grpc/proto-loader and @grpc/reflection; its descriptor codec is what both use.
import { FileDescriptorProto } from 'protobufjs/ext/descriptor';

/**
 * proto-loader builds its file descriptors with protobufjs, and they are not
 * complete enough for grpcurl (Go's protodesc): a file declares no
 * `dependency`, type names are relative ("google.protobuf.Struct" without the
 * leading dot), and a map field's entry type is named "Fields" where protoc
 * names it "FieldsEntry". @grpc/reflection serves them as they are, so
 * `describe` of anything using google.protobuf.Struct fails (grpc-node issues
 * 2958 and 3034). This rewrites the descriptors of a package definition the way
 * protoc would have written them, before they are handed to the reflection service.
 */
export function withLinkedDescriptors(definition: PackageDefinition): PackageDefinition {
  const files = new Map<string, File>();
  for (const entry of Object.values(definition)) {
    for (const bytes of descriptorsOf(entry) ?? []) {
      const file = FileDescriptorProto.decode(bytes) as unknown as File;
      if (!files.has(file.name)) files.set(file.name, file);
    }
  }
  for (const file of files.values()) forEachMessage(file, (message) => nameMapEntries(message));
  const owner = symbolOwners(files);
  for (const file of files.values()) linkFile(file, owner);
  const encoded = [...files.values()].map((file) => FileDescriptorProto.encode(file as never).finish());
  return Object.fromEntries(
    Object.entries(definition).map(([name, entry]) => [name, descriptorsOf(entry) ? { ...entry, fileDescriptorProtos: encoded } : entry]),
  ) as PackageDefinition;
}

/** Message and enum definitions carry the encoded files; service definitions do not. */
function descriptorsOf(entry: PackageDefinition[string]): Buffer[] | undefined {
  const protos = (entry as { fileDescriptorProtos?: unknown }).fileDescriptorProtos;
  return Array.isArray(protos) ? (protos as Buffer[]) : undefined;
}

/** `user_data` -> `UserDataEntry`, protoc's name for a map field's entry type. */
export function mapEntryName(fieldName: string): string {
  return `${fieldName.replace(/(?:^|_)([a-z0-9])/g, (_, c: string) => c.toUpperCase())}Entry`;
}

// The parts of a decoded descriptor used here. protobufjs decodes absent repeated
// fields as [] and absent strings as '', so none of these is ever undefined.
interface Field {
  name: string;
  typeName: string;
}
interface Message {
  name: string;
  field: Field[];
  nestedType: Message[];
  enumType: { name: string }[];
  options: { mapEntry?: boolean } | null;
}
interface File {
  name: string;
  package: string;
  dependency: string[];
  messageType: Message[];
  enumType: { name: string }[];
  service: { method: { inputType: string; outputType: string }[] }[];
}

const qualified = (scope: string, name: string) => (scope ? `${scope}.${name}` : name);

function nameMapEntries(message: Message): void {
  // protobufjs writes a map field's type and its entry type's name the same ("Fields").
  for (const field of message.field) {
    const entry = message.nestedType.find((nested) => nested.options?.mapEntry && nested.name === field.typeName);
    if (!entry) continue;
    entry.name = mapEntryName(field.name);
    field.typeName = entry.name;
  }
}

function forEachMessage(file: File, visit: (message: Message, scope: string) => void): void {
  const walk = (message: Message, scope: string) => {
    visit(message, scope);
    for (const nested of message.nestedType) walk(nested, qualified(scope, message.name));
  };
  for (const message of file.messageType) walk(message, file.package);
}

/** Fully qualified name (no leading dot) of every message and enum -> the file that defines it. */
function symbolOwners(files: Map<string, File>): Map<string, string> {
  const owner = new Map<string, string>();
  for (const [fileName, file] of files) {
    for (const e of file.enumType) owner.set(qualified(file.package, e.name), fileName);
    forEachMessage(file, (message, scope) => {
      const full = qualified(scope, message.name);
      owner.set(full, fileName);
      for (const e of message.enumType) owner.set(qualified(full, e.name), fileName);
    });
  }
  return owner;
}

/**
 * Protobuf scoping: a relative name is looked up from the innermost scope
 * outwards. proto-loader has already resolved every name, so one always exists.
 */
function resolve(name: string, scope: string, owner: Map<string, string>): string {
  if (name.startsWith('.')) return name.slice(1);
  let s = scope;
  while (s && !owner.has(`${s}.${name}`)) s = s.slice(0, Math.max(0, s.lastIndexOf('.')));
  return qualified(s, name);
}

function linkFile(file: File, owner: Map<string, string>): void {
  // undefined never occurs (every name proto-loader resolved is defined in one of the files); filtered for the types.
  const dependencies = new Set<string | undefined>();
  const absolute = (name: string, scope: string): string => {
    if (!name) return name; // a scalar field
    const full = resolve(name, scope, owner);
    const definedIn = owner.get(full);
    if (definedIn !== file.name) dependencies.add(definedIn);
    return `.${full}`;
  };
  forEachMessage(file, (message, scope) => {
    for (const field of message.field) field.typeName = absolute(field.typeName, qualified(scope, message.name));
  });
  for (const method of file.service.flatMap((service) => service.method)) {
    method.inputType = absolute(method.inputType, file.package);
    method.outputType = absolute(method.outputType, file.package);
  }
  file.dependency = [...dependencies].filter((d): d is string => d !== undefined).sort();
}
