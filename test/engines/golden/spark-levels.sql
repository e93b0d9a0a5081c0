SELECT DISTINCT `race` AS level FROM parquet.`/data/birthwt.parquet` WHERE `low` IS NOT NULL AND `age` IS NOT NULL AND `race` IS NOT NULL AND `smoke` IS NOT NULL
