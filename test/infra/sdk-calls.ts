/**
 * Which AWS SDK commands each Lambda handler can reach, read from the code with the TypeScript checker.
 *
 * From the handler file, every reference is followed to its declaration in `functions/` (functions,
 * methods, constants): what the handler calls, what those call, and so on. Application code never names
 * an AWS client: it calls the ports (`functions/ports.ts`). A call of a port method is followed into the
 * AWS adapter that implements that port in Lambda (`buildAwsDependencies`), and there to the SDK
 * `…Command` classes it sends. The identity key reader is a closure the adapters are given, so the
 * methods that use it are mapped by hand (the Secrets Manager contract test shows they send it).
 *
 * An over-approximation by construction (every branch counts), never an under-approximation of the
 * code it can see: a call the checker cannot resolve (a dynamic property) is not followed.
 */
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../../infra/local/synth';

/** The port each AWS adapter implements in Lambda (functions/adapters/aws-dependencies.ts). */
const AWS_ADAPTERS: Record<string, { file: string; className: string }> = {
  ReferralStore: { file: 'functions/adapters/dynamodb-store.ts', className: 'DynamoDbReferralStore' },
  EmailSender: { file: 'functions/adapters/email-ses.ts', className: 'SesEmailSender' },
  WorkflowEngine: { file: 'functions/adapters/workflow-sfn.ts', className: 'StepFunctionsWorkflow' },
  IdentityHasher: { file: 'functions/adapters/identity-hasher.ts', className: 'HmacIdentityHasher' },
  LinkTokens: { file: 'functions/adapters/link-tokens.ts', className: 'KeyedLinkTokens' },
};

/** Port methods that read the identity key through the injected reader (GetSecretValue in AWS). */
export const KEY_READERS = ['IdentityHasher.hash', 'LinkTokens.mint'];

export interface Reach {
  /** SDK command class names (`SendEmailCommand`, `PutCommand`, …). */
  commands: Set<string>;
  /** Port methods called (`WorkflowEngine.startGroup`, …). */
  portMethods: Set<string>;
}

const PORTS = 'functions/ports.ts';
const rel = (file: string) => relative(REPO_ROOT, file).split(sep).join('/');

export function sdkCallsByEntry(entries: string[]): Map<string, Reach> {
  const configFile = ts.readConfigFile(join(REPO_ROOT, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, REPO_ROOT);
  const program = ts.createProgram(
    entries.map((e) => join(REPO_ROOT, e)),
    parsed.options,
  );
  const checker = program.getTypeChecker();

  const adapterMember = (port: string, member: string): ts.Node[] => {
    const adapter = AWS_ADAPTERS[port];
    if (!adapter) return [];
    const source = program.getSourceFile(join(REPO_ROOT, adapter.file));
    if (!source) throw new Error(`${adapter.file} is not in the program`);
    const found: ts.Node[] = [];
    source.forEachChild((node) => {
      if (ts.isClassDeclaration(node) && node.name?.text === adapter.className)
        for (const m of node.members)
          if (m.name && ts.isIdentifier(m.name) && m.name.text === member) found.push(m);
    });
    if (!found.length) throw new Error(`${adapter.className} has no ${member}`);
    return found;
  };

  const reachOf = (entry: string): Reach => {
    const reach: Reach = { commands: new Set(), portMethods: new Set() };
    const seen = new Set<ts.Node>();
    /** `adapterFile`: walking inside an AWS adapter, which may follow its own file's helpers. */
    const queue: { node: ts.Node; adapterFile?: string }[] = [];
    const enqueue = (node: ts.Node, adapterFile?: string) => {
      if (seen.has(node)) return;
      seen.add(node);
      queue.push({ node, adapterFile });
    };
    const source = program.getSourceFile(join(REPO_ROOT, entry));
    if (!source) throw new Error(`${entry} is not in the program`);
    enqueue(source);

    const follow = (symbol: ts.Symbol, adapterFile: string | undefined) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      for (const decl of target.declarations ?? []) {
        const file = rel(decl.getSourceFile().fileName);
        if (file.includes('node_modules/@aws-sdk/') && target.name.endsWith('Command')) {
          reach.commands.add(target.name);
          continue;
        }
        if (file.startsWith('node_modules/') || file.includes('/node_modules/') || file.endsWith('.d.ts'))
          continue;
        if (file === PORTS) {
          const parent = decl.parent;
          if (
            (ts.isMethodSignature(decl) || ts.isPropertySignature(decl)) &&
            ts.isInterfaceDeclaration(parent) &&
            parent.name.text in AWS_ADAPTERS
          ) {
            const port = `${parent.name.text}.${target.name}`;
            reach.portMethods.add(port);
            const adapter = AWS_ADAPTERS[parent.name.text]!;
            for (const member of adapterMember(parent.name.text, target.name)) enqueue(member, adapter.file);
          }
          continue;
        }
        if (!file.startsWith('functions/')) continue;
        // Application code reaches adapters only through ports; an adapter follows its own file.
        if (file.startsWith('functions/adapters/') && file !== adapterFile) continue;
        enqueue(decl, adapterFile);
      }
    };

    while (queue.length) {
      const { node, adapterFile } = queue.shift()!;
      const visit = (n: ts.Node): void => {
        if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) {
          const symbol = checker.getSymbolAtLocation(n);
          if (symbol) follow(symbol, adapterFile);
          // `const { f } = await import('./m')`: the destructured property is what is called.
          if (
            ts.isBindingElement(n.parent) &&
            n.parent.name === n &&
            ts.isObjectBindingPattern(n.parent.parent)
          ) {
            const name = n.parent.propertyName?.getText() ?? n.text;
            const property = checker.getTypeAtLocation(n.parent.parent).getProperty(name);
            if (property) follow(property, adapterFile);
          }
          // A shorthand `{ x }` names a local; its value's symbol is the one to follow.
          if (ts.isShorthandPropertyAssignment(n.parent)) {
            const value = checker.getShorthandAssignmentValueSymbol(n.parent);
            if (value) follow(value, adapterFile);
          }
        }
        n.forEachChild(visit);
      };
      visit(node);
    }
    return reach;
  };

  return new Map(entries.map((e) => [e, reachOf(e)]));
}
