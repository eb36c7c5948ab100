/* schema.h - the versioned migrations. Migration i (1-based) takes the schema
 * from version i-1 to i. Append new migrations; never edit a released one. */
#ifndef CEP_STORE_SCHEMA_H
#define CEP_STORE_SCHEMA_H

extern const char *const store_migrations[];
extern const int store_migration_count;

#endif
