import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import type { UserRole } from '../../../contracts/api';
import { bcryptCost } from '../accounts/password-hasher';
import { createUserAccount } from '../accounts/user-accounts';
import { DomainError } from '../common/domain-error';
import { buildDataSourceOptions } from '../database/data-source-options';
import { runMigrationsLocked } from '../database/database-migrator';
import { describeServiceFailure } from '../preflight/service-failure';
import { loadConfigOrExit } from '../startup';

const USAGE =
  'Usage: npm run user:create -- --email <email> --password <password> [--role owner|admin] [--organization <name>] [--operator]\n' +
  '  --role          defaults to admin\n' +
  '  --organization  created when it does not exist; without it, the first organization\n' +
  "  --operator      also an operator of the installation (Bull Board: every organization's queues)";

/** Creates a user from the command line (DATABASE_URL from the environment; migrations run first). */
async function main(argv: string[]): Promise<number> {
  let values: {
    email?: string;
    password?: string;
    role?: string;
    organization?: string;
    operator?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        email: { type: 'string' },
        password: { type: 'string' },
        role: { type: 'string', default: 'admin' },
        organization: { type: 'string' },
        operator: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.email || !values.password) {
    console.error(`--email and --password are required.\n${USAGE}`);
    return 2;
  }
  if (values.role !== 'owner' && values.role !== 'admin') {
    console.error(`--role must be owner or admin.\n${USAGE}`);
    return 2;
  }

  const config = loadConfigOrExit();
  const dataSource = new DataSource(buildDataSourceOptions(config));
  try {
    await dataSource.initialize();
  } catch (err) {
    const explained = describeServiceFailure('PostgreSQL', config.DATABASE_URL, err);
    if (!explained) throw err;
    console.error(explained);
    return 1;
  }
  try {
    if (config.RUN_MIGRATIONS) await runMigrationsLocked(dataSource);
    const user = await dataSource.transaction((manager) =>
      createUserAccount(
        manager,
        {
          email: values.email!,
          password: values.password!,
          role: values.role as UserRole,
          organizationName: values.organization,
          operator: values.operator === true,
        },
        bcryptCost(config),
      ),
    );
    console.log(
      `Created ${user.role}${user.is_operator ? ' (operator)' : ''} ${user.email} (id ${user.id}) in organization "${user.organization_name}".`,
    );
    return 0;
  } catch (err) {
    if (err instanceof DomainError) {
      console.error(`Could not create the user: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`Could not create the user: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
