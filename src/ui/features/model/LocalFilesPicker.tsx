import { type DragEvent, useId, useState } from 'react';
import { EngineError } from '../../../engine/errors.ts';
import { pickedModel, pickedModelFromFiles, type PickedModel } from '../../../engine/sources/local-files.ts';
import { droppedFiles } from './dropped-files.ts';

/**
 * A model from this computer: a folder picker (`webkitdirectory`) or a drop of the folder (or its loose files). The
 * files are named as on the Hub (engine/sources/local-files.ts); files in subfolders are left out and said so.
 */
export function LocalFilesPicker({ picked, onPicked }: { picked: PickedModel | null; onPicked: (picked: PickedModel) => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const hintId = useId();

  const take = (read: () => PickedModel) => {
    try {
      const model = read();
      setProblem(null);
      onPicked(model);
    } catch (error) {
      setProblem(error instanceof EngineError ? error.message : String(error));
    }
  };

  const drop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    // Entries only while the event runs (dropped-files.ts); browsers without them give the loose files.
    const entries = [...event.dataTransfer.items].map((item) => item.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
    const files = [...event.dataTransfer.files];
    if (entries.length === 0) {
      take(() => pickedModelFromFiles(files));
      return;
    }
    droppedFiles(entries).then(
      (all) => take(() => pickedModel(all)),
      (error: unknown) => setProblem(`The dropped files could not be read: ${error instanceof Error ? error.message : String(error)}`),
    );
  };

  return (
    <div className="local-files">
      <label className="stacked">
        Model folder
        <input
          type="file"
          multiple
          // React has no prop for it: a folder picker gives every file with its webkitRelativePath.
          ref={(input) => input?.setAttribute('webkitdirectory', '')}
          aria-describedby={hintId}
          aria-invalid={problem !== null}
          onChange={(e) => {
            const files = e.target.files;
            if (files && files.length > 0) take(() => pickedModelFromFiles(files));
          }}
        />
      </label>
      <div
        className={over ? 'drop-zone drop-over' : 'drop-zone'}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
        data-testid="model-drop-zone"
      >
        <p id={hintId} className="panel-hint">
          Or drop the folder here. It needs config.json, tokenizer.json (with tokenizer_config.json) and model.safetensors or its shards with
          model.safetensors.index.json, as on the Hub. Nothing is uploaded: the files are read in this browser.
        </p>
      </div>
      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
      {picked && (
        <p role="status" aria-label="Picked files">
          {picked.label}: {picked.files.length} files ({picked.files.map((f) => f.name).join(', ')})
          {picked.leftOut.length > 0 && `; left out, in subfolders: ${picked.leftOut.slice(0, 5).join(', ')}${picked.leftOut.length > 5 ? ', …' : ''}`}
        </p>
      )}
    </div>
  );
}
